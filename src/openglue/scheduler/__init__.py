"""Triggers that fire: AWS cron schedules, conditional and on-demand triggers, the scheduler."""
