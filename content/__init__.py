"""Message templates (Vietnamese first, English), filters, and the renderer."""
