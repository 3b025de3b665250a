// Preloaded into profiled servers: SIGUSR2 exits at once, so --cpu-prof writes its profile
// (the site's own SIGTERM handling waits for open handles and may never exit).
process.on("SIGUSR2", () => process.exit(0));
