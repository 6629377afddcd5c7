"""The only writers of the site: drawing, templates, the Excel file, the cache and the swap."""
