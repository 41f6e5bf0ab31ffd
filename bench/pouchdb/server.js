// express-pouchdb on loopback over LevelDB in a given folder: the PouchDB side of bench/sync_throughput.py.
// express-pouchdb is itself an (Express 4) app: it listens directly.
const [port, dir] = process.argv.slice(2);
const PouchDB = require("pouchdb").defaults({ prefix: dir + "/" });
const app = require("express-pouchdb")(PouchDB, { mode: "minimumForPouchDB", logPath: dir + "/log.txt" });
app.listen(Number(port), "127.0.0.1", () => console.log("listening"));
