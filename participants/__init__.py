"""The FTGO participant services: consumers, orders, kitchen, accounting."""
