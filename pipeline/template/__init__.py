"""Form knowledge from config/ and recognising which form a document is."""
