"""The HTTP contract the API, the participants and the worker share: error shape, headers, input
bounds, page tokens, order states, where the participants listen by default."""
