resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "logs"
  enable_logging = false
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = true
}
