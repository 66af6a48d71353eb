resource "aws_lb" "web" {
  internal = true
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

resource "aws_lb" "legacy" {
  internal = true
}

resource "aws_lb_listener" "legacy_https" {
  load_balancer_arn = aws_lb.legacy.arn
  port              = 443
  protocol          = "HTTPS"
}

resource "aws_lb" "plain" {
  internal = true
}

resource "aws_lb_listener" "plain" {
  load_balancer_arn = aws_lb.plain.arn
  port              = 80
  protocol          = "HTTP"
}
