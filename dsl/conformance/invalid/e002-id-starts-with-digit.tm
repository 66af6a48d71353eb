process 2fa "Second factor"
