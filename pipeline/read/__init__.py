"""Reading stages: from a file to page layouts (tokens and ruling lines)."""
