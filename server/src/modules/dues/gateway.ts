/**
 * Online payment of dues goes through a provider the site chooses (a bank's or a payment platform's
 * API, with its own contract and keys). The platform keeps the interface and everything around it —
 * orders, the idempotent recording of the payment when the provider's signed notification arrives, the
 * receipt — and ships no provider: until one is registered, members are told to pay their branch.
 */
export interface DuesPaymentGateway {
  /** Recorded with each order, e.g. 'icbc-epay'. */
  readonly name: string;
  /** Opens the payment with the provider: the address the member is sent to. */
  createOrder(order: { orderNo: string; amountFen: number; description: string }): Promise<{ payUrl: string }>;
  /**
   * Checks a notification (its signature) and answers the order it pays, or null when it is not
   * genuine. Called for every notification; the same one may arrive more than once.
   */
  verifyNotification(notification: { headers: Record<string, string | string[] | undefined>; body: unknown }): Promise<{ orderNo: string; amountFen: number; reference: string } | null>;
}

let registered: DuesPaymentGateway | null = null;

/** Registers the site's provider (at startup), or none. */
export function registerDuesPaymentGateway(gateway: DuesPaymentGateway | null): void {
  registered = gateway;
}

export const duesPaymentGateway = (): DuesPaymentGateway | null => registered;
