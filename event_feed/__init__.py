"""Events between services: the transactional outbox and its feed, and the subscriber that follows one."""
