"""The clock (APScheduler ticks), the outbox dispatcher, send-time policy and sweepers."""
