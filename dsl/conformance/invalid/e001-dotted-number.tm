lambda scorer { environment: python3.12 }
