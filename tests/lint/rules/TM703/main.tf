resource "aws_instance" "web" {
  associate_public_ip_address = true
}

resource "aws_db_instance" "db" {
  publicly_accessible = true
}

resource "aws_lambda_function" "hook" {
  function_name = "hook"
}

resource "aws_lambda_function_url" "hook" {
  function_name      = aws_lambda_function.hook.function_name
  authorization_type = "NONE"
}

resource "aws_s3_bucket" "assets" {}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = "public-read"
}
