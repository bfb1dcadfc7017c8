// The built site as a web server would send it: gzip-compressed (express + compression), on
// 127.0.0.1, with 404.html for missing pages. Prints the port it listens on, then serves until killed.
import compression from "compression";
import express from "express";
import path from "node:path";

const root = path.resolve(process.argv[2]);
const app = express();
app.use(compression({ threshold: 0 }));
app.use(express.static(root, { extensions: ["html"] }));
app.use((req, res) => res.status(404).sendFile(path.join(root, "404.html")));
const server = app.listen(0, "127.0.0.1", () => console.log(server.address().port));
