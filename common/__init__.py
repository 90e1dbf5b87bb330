"""Building blocks shared by the participant services and the query side."""
