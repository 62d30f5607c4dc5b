// TestSupport: helpers shared by several test targets (the loopback chat-completions server, temp dirs).
