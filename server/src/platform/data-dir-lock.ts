import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded database's files belong to one process at a time: PGlite keeps the database in its
 * own memory and writes it back to the data directory, so a second process on the same directory
 * hands out the same ids and loses the first one's acknowledged writes. The first process to open
 * the directory writes its pid to `dangjian.lock`; any other refuses to start while that process lives.
 */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `数据目录 ${dataDir} 正由进程 ${pid} 使用：内置数据库一次只能由一个进程打开。` +
        `请先停止该进程（例如正在运行的 npm start），或设置 DATABASE_URL 使用 PostgreSQL 服务器。\n` +
        `The data directory ${dataDir} is in use by process ${pid}: the embedded database can be opened by one process at a time. ` +
        `Stop that process first (a running npm start, say), or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory for this process; returns the release. Throws DataDirInUseError while another process holds it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'dangjian.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch { /* already gone */ }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new DataDirInUseError(dataDir, holder);
      // left by a process that ended without releasing it (kill -9, power loss): take it over
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
