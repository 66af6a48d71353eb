model "Right-to-left text" { scope: "Hebrew and Arabic labels need no controls" }
process web "שלום web" { description: "مرحبا and English" }
actor user "User"
user -> web "בקשה" { protocol: https, encrypted: true, authenticated: true }
