// The floor of one-message fan-out over loopback TCP on this machine: how long the kernel alone takes to deliver one
// small frame to each of N subscribers, with no server around it. The writer, pinned to one core, calls send() once per
// connected socket in a tight loop; a reader process, pinned to the other core, drains every socket through epoll, as
// the benchmark's load generator does. Each message's loop time is the earliest its last subscriber can have it: any
// server that writes each subscriber's frame with its own send() (all of them, on Linux without io_uring) is slower.
//
//   cc -O2 -o fanout-floor fanout-floor.c && ./fanout-floor [subscribers=10000] [messages=20] [bytes=80]
//
// See bench/README.md, "Channel fan-out".
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void pin(int core)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) perror("sched_setaffinity");
}

static void fail(const char *what)
{
    perror(what);
    exit(1);
}

// The subscribers: connect every socket, then read everything the writer sends.
static void subscribe(struct sockaddr_in address, int count, long expected, int ready)
{
    pin(1);
    int epoll = epoll_create1(0);
    for (int i = 0; i < count; i++)
    {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address) != 0) fail("subscriber connect (raise ulimit -n?)");
        fcntl(s, F_SETFL, O_NONBLOCK);
        struct epoll_event event = {.events = EPOLLIN, .data.fd = s};
        epoll_ctl(epoll, EPOLL_CTL_ADD, s, &event);
    }
    if (write(ready, "r", 1) != 1) fail("ready");
    static char buffer[65536];
    struct epoll_event events[1024];
    for (long received = 0; received < expected;)
    {
        int n = epoll_wait(epoll, events, 1024, 5000);
        if (n == 0) { fprintf(stderr, "subscribers: nothing for 5 s, %ld of %ld bytes\n", received, expected); exit(1); }
        for (int i = 0; i < n; i++)
            for (ssize_t got; (got = read(events[i].data.fd, buffer, sizeof buffer)) > 0;) received += got;
    }
    exit(0);
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 10000;
    int messages = argc > 2 ? atoi(argv[2]) : 20;
    int size = argc > 3 ? atoi(argv[3]) : 80;
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 65535) != 0) fail("listen");
    getsockname(listener, (struct sockaddr *)&address, &length);
    int ready[2];
    if (pipe(ready) != 0) fail("pipe");
    pid_t subscribers = fork();
    if (subscribers == 0) subscribe(address, count, (long)count * messages * size, ready[1]);

    pin(0);
    int *sockets = malloc(sizeof(int) * count);
    for (int i = 0; i < count; i++)
    {
        sockets[i] = accept(listener, NULL, NULL);
        if (sockets[i] < 0) fail("accept (raise ulimit -n?)");
        setsockopt(sockets[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(sockets[i], F_SETFL, O_NONBLOCK);
    }
    char signal;
    if (read(ready[0], &signal, 1) != 1) fail("subscribers did not start");

    char *frame = calloc(1, size);
    double total = 0, worst = 0;
    for (int m = 0; m < messages; m++)
    {
        usleep(200000);  // 5 messages/s: every send finds an empty socket, as at the benchmark's lowest rate
        double start = seconds();
        for (int i = 0; i < count; i++)
            if (send(sockets[i], frame, size, MSG_NOSIGNAL) != size) fail("send");
        double ms = (seconds() - start) * 1e3;
        total += ms;
        if (ms > worst) worst = ms;
        printf("message %2d: %d sends in %6.1f ms (%.2f us each)\n", m + 1, count, ms, ms * 1e3 / count);
    }
    printf("floor: %d sends of %d bytes take %.1f ms on average, %.1f ms at worst (%.2f us per send)\n",
           count, size, total / messages, worst, total / messages * 1e3 / count);
    int status;
    waitpid(subscribers, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
