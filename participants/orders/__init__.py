"""Orders service: owns orders and keeps a replica of kitchen's restaurants and menus."""
