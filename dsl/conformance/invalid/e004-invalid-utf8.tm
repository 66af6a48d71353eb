actor customer "Café"
