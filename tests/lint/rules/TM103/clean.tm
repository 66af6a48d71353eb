# TM103 stays quiet here
model "Shop" {
  scope: "From the browser to the orders database"
}
