actor customer
reply "Response"
