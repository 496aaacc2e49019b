using Npgsql;
using NpgsqlTypes;

namespace Jobwatch.Storage.Postgres.Internal;

/// <summary>
/// Typed parameter binding for the <c>@name</c> placeholders of the embedded SQL. Every parameter gets
/// an explicit PostgreSQL type, so a null is a typed null and arrays map to the element type the
/// <c>unnest(@x::type[])</c> in the SQL expects. Times are written as UTC instants (timestamptz only
/// accepts offset 0 from Npgsql).
/// </summary>
internal static class CommandParameters
{
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, string? value) => c.Add(name, NpgsqlDbType.Text, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, short value) => c.Add(name, NpgsqlDbType.Smallint, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, int value) => c.Add(name, NpgsqlDbType.Integer, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, int? value) => c.Add(name, NpgsqlDbType.Integer, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, long value) => c.Add(name, NpgsqlDbType.Bigint, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, long? value) => c.Add(name, NpgsqlDbType.Bigint, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, bool value) => c.Add(name, NpgsqlDbType.Boolean, value);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, DateTimeOffset value) => c.Add(name, NpgsqlDbType.TimestampTz, value.ToUniversalTime());
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, DateTimeOffset? value) => c.Add(name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, long[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, long?[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, int[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Integer, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, int?[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Integer, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, short[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Smallint, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, double?[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Double, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, string?[] values) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, DateTime[] utcValues) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, utcValues);
    public static NpgsqlCommand Set(this NpgsqlCommand c, string name, DateTime?[] utcValues) => c.Add(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, utcValues);

    /// <summary>An instant as the UTC <see cref="DateTime"/> that timestamptz arrays take.</summary>
    public static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    public static DateTime? Utc(DateTimeOffset? value) => value?.UtcDateTime;

    private static NpgsqlCommand Add(this NpgsqlCommand c, string name, NpgsqlDbType type, object? value)
    {
        c.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return c;
    }
}
