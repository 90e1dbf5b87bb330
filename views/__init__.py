"""The query side (CQRS): views kept current from the participants' event feeds."""
