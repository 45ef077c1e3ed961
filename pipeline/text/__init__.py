"""Text helpers shared by every path: normalisation and value parsing."""
