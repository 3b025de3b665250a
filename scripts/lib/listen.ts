import type { Server } from "node:http";

/** Listens, turning "port in use" into one line naming the variable that changes it. */
export function listen(server: Server, port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(
          new PortInUseError(
            `Port ${port} on ${host} is already in use. Stop what uses it or set ${variable} to another port (e.g. ${variable}=${port + 100}).`,
          ),
        );
      } else if (error.code === "EACCES") {
        reject(new PortInUseError(`No permission to listen on port ${port}. Set ${variable} to a port above 1024.`));
      } else reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}
