resource "aws_lb" "web" {
  internal = false
}

resource "aws_instance" "app" {
  count         = 2
  instance_type = "t3.small"
}
