resource "aws_lb" "web" {
  internal = false
}

resource "aws_security_group" "debug" {
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "debug" {
  vpc_security_group_ids = [aws_security_group.debug.id]
}

resource "aws_instance" "private" {}
