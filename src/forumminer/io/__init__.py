"""I/O stage: corpus readers and table writers."""
