"""Present: what a notebook displays (panels, charts, maps, HTML fragments, citations)."""
