#!/bin/sh
# Healthy when the page is served.
exec wget -q -O /dev/null http://127.0.0.1:8080/
