"""The `saga` command line: the operator's view of the saga API (`saga --help`)."""
