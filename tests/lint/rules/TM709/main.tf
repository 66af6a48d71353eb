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
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.bastion.id]
}

resource "aws_subnet" "private" {
  map_public_ip_on_launch = false
}

resource "aws_instance" "worker" {
  # no subnet_id, no associate_public_ip_address: the default VPC's subnet decides
  instance_type = "t3.small"
}
