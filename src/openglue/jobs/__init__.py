"""Jobs: definitions, runs (state machine, processes, supervisor) and their logs."""
