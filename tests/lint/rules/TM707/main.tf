resource "aws_iam_policy" "admins" {
  name   = "admins"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length = 14
}
