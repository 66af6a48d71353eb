variable "encrypted" {
  type = bool
}

variable "office" {
  type = string
}

resource "aws_db_instance" "orders" {
  storage_encrypted = var.encrypted
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.office]
  security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group" "bastion" {}

resource "aws_instance" "bastion" {
  vpc_security_group_ids = [aws_security_group.bastion.id]
}
