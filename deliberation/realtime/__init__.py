"""Live threads: the event log, the frames built from it, and the process-local fan-out.

docs/realtime.md is the protocol; docs/architecture.md ("Real-time") says why it is built so.
"""
