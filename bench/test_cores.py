"""Tests of the scaling run's own logic (bench/cores.py): the goals it marks met or missed, and
the pinning check. Run by CI: `python3 -m unittest discover -s bench -p 'test_*.py'`."""

import os
import unittest

import cores


def figures(rps, p99_beside_us=1000):
    hol = {"rate": 1, "alone": {"p99_us": 500}, "beside_gpojson": {"p99_us": p99_beside_us, "p999_us": 0,
                                                                      "late_max_us": 0},
           "gpojson_done": 1, "gpojson_median_ms": 300.0}
    out = {name: {"rps": rps[name], "p99_us": 1000, "cpu_us_per_req": 20.0} for name in cores.SCENARIOS}
    out["head-of-line"] = hol
    out["head-of-line light"] = hol
    return out


def result(runs):
    return {"date": "2026-12-05 00:00 UTC", "machine": {"cores": 16, "cpu": "test"}, "seconds": 3,
            "hol_orders": 100_000, "binaries": ["new"], "skipped": [], "runs": runs}


ONE = {"paypro gos": 50_000, "aggrepay fetchbalance": 30_000, "paypro co": 14_000, "aggrepay debitwallet": 12_000}


class Goals(unittest.TestCase):
    def test_eight_cores_that_scale_meet_every_goal(self):
        eight = {"paypro gos": 210_000, "aggrepay fetchbalance": 110_000, "paypro co": 22_000,
                 "aggrepay debitwallet": 19_000}
        text = "\n".join(cores.goals(result({
            "1": {"new": figures(ONE), "bare axum": {"paypro gos": {"rps": 120_000}}, "pinned_cpus_used": 1.0},
            "8": {"new": figures(eight), "bare axum": {"paypro gos": {"rps": 600_000}}, "pinned_cpus_used": 8.1},
        })))
        self.assertIn("| 8 | 4.20× | 3.67× | 1.57× | 1.58× | 35% |", text)
        self.assertIn("Missed: none.", text)
        self.assertIn("Held at every count.", text)

    def test_a_flat_curve_and_a_slow_head_of_line_are_missed(self):
        flat = dict(ONE, **{"paypro gos": 60_000})
        text = "\n".join(cores.goals(result({
            "1": {"new": figures(ONE), "bare axum": {"paypro gos": {"rps": 120_000}}},
            "8": {"new": figures(flat, p99_beside_us=7_500), "bare axum": {"paypro gos": {"rps": 700_000}}},
        })))
        missed = text.split("Missed: ", 1)[1]
        self.assertIn("gos 1.20× at 8 (goal 4.0×)", missed)
        self.assertIn("gos 9% of bare axum at 8", missed)
        self.assertIn("half load 7.50 ms at 8", missed)
        self.assertIn("gos 42% of bare axum at 1", text.split("Missed: ", 1)[0])

    def test_without_eight_cores_the_table_says_so(self):
        text = "\n".join(cores.goals(result({"1": {"new": figures(ONE)}})))
        self.assertIn("The 8-core goals need a machine with more than 8 CPUs.", text)

    def test_pinning_that_did_not_hold_is_said_in_bold(self):
        text = "\n".join(cores.goals(result({"1": {"new": figures(ONE), "pinned_cpus_used": 1.0},
                                             "4": {"new": figures(ONE), "pinned_cpus_used": 7.6}})))
        self.assertIn("**taskset was not enforced at 4 cores", text)


class Pinning(unittest.TestCase):
    def test_two_busy_processes_pinned_to_one_cpu_get_at_most_that_cpu(self):
        cpu = str(sorted(os.sched_getaffinity(0))[0])
        used = cores.pinned_cpus_used(cpu, 1, seconds=0.3)
        self.assertLess(used, cores.PINNING_SLACK)
        self.assertGreater(used, 0)


if __name__ == "__main__":
    unittest.main()
