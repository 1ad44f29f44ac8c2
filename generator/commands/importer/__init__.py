"""`runbookgen import`: Markdown runbooks read and turned into runbooks of our format."""
