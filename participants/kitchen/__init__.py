"""Kitchen service: owns restaurants with their menus, and the tickets the kitchen prepares."""
