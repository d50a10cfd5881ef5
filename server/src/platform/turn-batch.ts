/**
 * Questions asked during one turn of the event loop, answered by one statement sent at its end (as DataLoader
 * does): the requests a process reads from its sockets in one turn (a district's reviewers opening their lists,
 * members typing titles at the same moment) cost one round trip to PostgreSQL instead of one each. Each round
 * trip wakes a backend and, on a machine of two cores, gives it the server's core for a while.
 *
 * A statement is sent after every question it answers was asked, so it sees every write committed before any of
 * them: a question asked once a statement is sent waits for the next one, never joins it.
 */
export class TurnBatch<Question, Answer> {
  private asked: { question: Question; resolve(answer: Answer): void; reject(error: unknown): void }[] = [];
  /** Statements sent, for the tests. */
  statements = 0;

  /** `answer` answers its questions in their order; at most `max` questions go into one statement. */
  constructor(private readonly answer: (questions: Question[]) => Promise<Answer[]>, private readonly max = Infinity) {}

  ask(question: Question): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (this.asked.push({ question, resolve, reject }) === 1) setImmediate(() => this.send());
    });
  }

  private send(): void {
    const asked = this.asked;
    this.asked = [];
    for (let i = 0; i < asked.length; i += this.max) {
      const part = asked.slice(i, i + this.max);
      this.statements++;
      let answered: Promise<Answer[]>;
      try {
        answered = this.answer(part.map((a) => a.question));
      } catch (error) {
        answered = Promise.reject(error);
      }
      answered.then((answers) => {
        part.forEach((a, k) => a.resolve(answers[k]!));
      }, (error: unknown) => {
        for (const a of part) a.reject(error);
      });
    }
  }
}

/** One batch per database handle (or any other key object), made when first asked for. */
export function batchesPer<Key extends object, Question, Answer>(make: (key: Key) => TurnBatch<Question, Answer>): (key: Key) => TurnBatch<Question, Answer> {
  const batches = new WeakMap<Key, TurnBatch<Question, Answer>>();
  return (key) => {
    let batch = batches.get(key);
    if (!batch) batches.set(key, batch = make(key));
    return batch;
  };
}
