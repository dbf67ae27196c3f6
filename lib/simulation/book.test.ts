import { describe, expect, it } from "vitest";
import { LineBook, negateOdds } from "./book";

describe("negateOdds", () => {
  it.each([
    [-120, 120],
    [150, -150],
    [100, 100],
    [-100, 100],
  ])("%i → %i", (o, n) => expect(negateOdds(o)).toBe(n));
});

describe("LineBook (two-way)", () => {
  it("shows a maker backing outcome 0 to takers of outcome 1 at the negated odds", () => {
    const b = new LineBook(2);
    b.addMaker("w1", "acct", 0, -120, 12_000);
    expect(b.levels(0)).toEqual([]);
    // A $120 maker stake at −120 wins $100: takers can stake $100 at +120 and win $120.
    expect(b.levels(1)).toEqual([{ odds: 120, stakeCents: 10_000, valueCents: 12_000 }]);
  });

  it("aggregates equal prices, orders by payout and caps the depth", () => {
    const b = new LineBook(2);
    b.addOffer("a", "lp", 0, 110, 1000);
    b.addOffer("b", "lp", 0, 130, 1000);
    b.addOffer("c", "lp", 0, 110, 500);
    b.addOffer("d", "lp", 0, -105, 2100);
    expect(b.levels(0).map((l) => l.odds)).toEqual([130, 110, -105]);
    expect(b.levels(0)[1]).toEqual({ odds: 110, stakeCents: 1363, valueCents: 1500 });
    for (let i = 0; i < 15; i++) b.addOffer(`x${i}`, "lp", 1, 200 + i * 10, 100);
    expect(b.levels(1, 10)).toHaveLength(10);
    expect(b.levels(1, 10)[0]!.odds).toBe(340);
  });

  it("fills takers best price first, then by time, respecting the minimum odds", () => {
    const b = new LineBook(2);
    b.addOffer("early", "lp", 0, 120, 1200);
    b.addOffer("late", "lp", 0, 120, 1200);
    b.addOffer("best", "lp", 0, 150, 1500);
    b.addOffer("worst", "lp", 0, 101, 5000);
    const fills = b.take(0, 2500, 110);
    expect(fills.map((f) => f.order.id)).toEqual(["best", "early", "late"]);
    expect(fills.map((f) => f.takerCents)).toEqual([1000, 1000, 500]);
    expect(fills[2]!.makerCents).toBe(600);
    // A partial fill matches the whole remaining taker stake; the win is floored to cents.
    const b2 = new LineBook(2);
    b2.addOffer("x", "lp", 0, -118, 100_000);
    const f = b2.take(0, 1_000, -118);
    expect(f[0]).toMatchObject({ takerCents: 1_000, makerCents: 847 });
    expect(b.get("best")).toBeUndefined();
    expect(b.get("early")).toBeUndefined();
    expect(b.get("late")!.remainingCents).toBe(600);
    expect(b.get("worst")!.remainingCents).toBe(5000);
    expect(b.take(0, 10_000, 130)).toEqual([]);
  });

  it("skips orders the taker may not hit (its own)", () => {
    const b = new LineBook(2);
    b.addMaker("mine", "me", 1, -150, 1500);
    b.addMaker("theirs", "lp", 1, -160, 1600);
    const fills = b.take(0, 10_000, 100, (o) => o.owner === "me");
    expect(fills.map((f) => f.order.id)).toEqual(["theirs"]);
    expect(b.get("mine")!.remainingCents).toBe(1500);
  });

  it("removes orders by id and by owner", () => {
    const b = new LineBook(2);
    b.addOffer("a", "lp", 0, 110, 100);
    b.addOffer("b", "lp", 1, 110, 100);
    b.addMaker("c", "me", 0, 105, 100);
    expect(b.removeOwner("lp")).toBe(2);
    expect(b.size).toBe(1);
    expect(b.remove("c")?.id).toBe("c");
    expect(b.remove("c")).toBeUndefined();
    expect(() => b.addOffer("d", "lp", 0, 110, 0)).toThrow(RangeError);
  });
});

describe("LineBook (three-way)", () => {
  it("keeps maker wagers in hidden lay lists and offers in displayed lists", () => {
    const b = new LineBook(3);
    b.addOffer("lp-draw", "lp", 1, 240, 1000);
    b.addMaker("w", "me", 2, 300, 1000);
    expect(b.levels(1)).toHaveLength(1);
    expect(b.levels(2)).toEqual([]);
    const lay = b.listIndexForTakerLaying(2);
    expect(b.orders(lay).map((o) => o.id)).toEqual(["w"]);
    expect(b.orders(lay)[0]!.displayed).toBe(false);
    const fills = b.take(lay, 3000, -300);
    expect(fills[0]!.makerCents).toBe(1000);
    expect(fills[0]!.takerCents).toBe(3000);
  });
});
