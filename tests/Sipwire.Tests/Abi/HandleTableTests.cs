// SPDX-License-Identifier: MIT
// Opaque handles: live handles resolve, NULL, stale and forged ones never do.

using NUnit.Framework;
using Sipwire.Native;

namespace Sipwire.Tests.Abi;

[TestFixture]
public sealed class HandleTableTests
{
    private sealed class Item;

    [Test]
    public void LiveHandleResolvesUntilRemoved()
    {
        var table = new HandleTable<Item>(4);
        var item = new Item();
        nint handle = table.Add(item);
        Assert.That(handle, Is.Not.Zero);
        Assert.That(table.Get(handle), Is.SameAs(item));
        Assert.That(table.Remove(handle), Is.SameAs(item));
        Assert.That(table.Get(handle), Is.Null);
        Assert.That(table.Remove(handle), Is.Null);
        Assert.That(table.Count, Is.Zero);
    }

    [Test]
    public void ReusedSlotGetsANewHandle()
    {
        var table = new HandleTable<Item>(1);
        nint first = table.Add(new Item());
        table.Remove(first);
        var second = new Item();
        nint again = table.Add(second);
        Assert.That(again, Is.Not.EqualTo(first));
        Assert.That(table.Get(first), Is.Null, "a stale handle must not reach the slot's new object");
        Assert.That(table.Get(again), Is.SameAs(second));
    }

    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(0x12345L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    public void NullAndForgedHandlesResolveToNothing(long value)
    {
        var table = new HandleTable<Item>(4);
        table.Add(new Item());
        Assert.That(table.Get((nint)value), Is.Null);
        Assert.That(table.Remove((nint)value), Is.Null);
        Assert.That(table.Count, Is.EqualTo(1));
    }

    [Test]
    public void CapacityIsEnforced()
    {
        var table = new HandleTable<Item>(2);
        table.Add(new Item());
        table.Add(new Item());
        Assert.That(() => table.Add(new Item()), Throws.TypeOf<HandleLimitException>());
    }
}
