# nginx.sh - Debian's nginx serving one small JSON file, as the HTTP
# ceiling's reference; source after common.sh.
#
# nginx_start WORKDIR FILE writes a configuration into a new folder
# (loopback port, one worker per core, no access log, keep-alive without
# a request limit, every temporary path inside the folder), starts nginx
# in the foreground as our child and sets NGINX_URL to FILE's address.

NGINX_PID=
NGINX_URL=

nginx_start()
{
	local dir port

	if ! command -v nginx >/dev/null; then
		say "nginx is not installed"
		return 1
	fi
	dir=$(mktemp -d "$1/nginx.XXXXXX")
	chmod 755 "$dir"
	mkdir -p "$dir/www" "$dir/tmp"
	cp "$2" "$dir/www/small.json"
	chmod -R a+rX "$dir/www"
	port=$(free_port)
	cat >"$dir/nginx.conf" <<CONF
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon off;
events {
	worker_connections 4096;
	use epoll;
}
http {
	access_log off;
	keepalive_requests 100000000;
	keepalive_timeout 60s;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	server {
		listen 127.0.0.1:$port;
		root $dir/www;
		location / {
			default_type application/json;
		}
	}
}
CONF
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
	    >"$dir/out.log" 2>&1 &
	NGINX_PID=$!
	cleanup_push "proc_stop $NGINX_PID"
	NGINX_URL=http://127.0.0.1:$port/small.json
	wait_http "$NGINX_URL" "$NGINX_PID" || {
		cat "$dir/error.log" >&2
		return 1
	}
}

nginx_stop()
{
	[ -n "$NGINX_PID" ] && proc_stop "$NGINX_PID"
	NGINX_PID=
}
