#pragma once

namespace h2sim::limits {

// Upper bounds on quantities: beyond them the model cannot answer (sums over a century of fills
// would overflow, a fill would outlast the horizon, distances would leave the planet). Each keeps
// every derived quantity finite; the messages name the bound crossed.
constexpr double km = 1e5;             // coordinates and radii: the Earth is 40,000 km around
constexpr double kg = 1e6;             // storage, payloads: a thousand tonnes
constexpr double fill_kg = 1e4;        // one vehicle's tank or fill
constexpr double minutes = 1e6;        // durations in minutes: about two years
constexpr double hours = 1e5;          // durations in hours: about eleven years
constexpr double rate = 1e6;           // flows in kg/h
constexpr double arrivals_per_h = 1e4; // one station's arrival rate
constexpr double multiplier = 1e3;     // hourly profiles
constexpr double speed_kmh = 1e3;
constexpr double road_factor = 10;
constexpr double days = 36500;            // a century
constexpr double count = 1e6;             // stations' dispensers, vehicles of a class, trailers
constexpr double money = 1e12;            // US dollars: any one cost or price
constexpr double seed = 9007199254740991; // 2^53 - 1: exact in every JSON reader
/** 2^64: the first number no 64-bit count (served, a visit's number) reaches, read as a double. */
constexpr double past_64_bits = 18446744073709551616.0;

} // namespace h2sim::limits
