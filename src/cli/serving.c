/*
 * serving.c — runs the web server in the foreground until SIGINT/SIGTERM, or until a time
 * limit (tests use it so that no server outlives them).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "chapar.h"
#include "serving.h"

static volatile sig_atomic_t stop_requested;

/* on_signal: ask the main loop to stop. */
static void on_signal(int sig)
{
	stop_requested = 1;
}

int serve_until_stopped(const struct serve_options *opt)
{
	struct web_options wo = { .listen = opt->listen, .db_path = opt->db, .threads = opt->threads,
				  .cache_ttl_s = opt->cache_ttl_s, .view_flush_ms = 1000 };
	struct web_server *ws = NULL;
	struct ch_error err = { 0 };
	if (web_start(&wo, &ws, &err) != CH_OK) {
		fprintf(stderr, "chapar: %s\n", err.msg);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "chapar: serving %s on http://%s/ (port %d)\n", opt->db, opt->listen, web_port(ws));
	int64_t deadline = opt->exit_after_s > 0 ? time_mono_ns() + (int64_t)opt->exit_after_s * 1000000000 : 0;
	while (!stop_requested && (!deadline || time_mono_ns() < deadline))
		usleep(100 * 1000);
	fprintf(stderr, "chapar: stopping\n");
	web_stop(ws);
	return 0;
}
