"""The one model of the paper's networks and schemes that every section shares: its symbols
(:mod:`.symbols`), the networks and their layer constants (:mod:`.network`), and flows and
schemes as objects (:mod:`.dynamics`)."""
