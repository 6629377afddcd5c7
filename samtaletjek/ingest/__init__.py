"""The ingest pipeline: STAR's files and the jobindsats API → `site_data/`."""
