# A file may hold only comments.
# model "Not yet" { }
#
