actor café "Café ☕"
