"""The sandbox's fictional people, vehicles and violations: each one exists to hit one business rule.

Every person is invented; the ID numbers only satisfy GB 11643 (area code, birth date, check digit).
Dates are relative to the day of seeding (the server clock), so "overdue" stays overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCitizen:
    id_number: str
    name: str
    sex: str
    ethnicity: str
    address: str
    card_application_pending: bool
    record_status: str  # clean | record | pending
    licence_points: int | None
    has_photo: bool = True
    active_temp_id: bool = False

    @property
    def birth_date(self) -> dt.date:
        return dt.date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))


@dataclass(frozen=True)
class DemoVehicle:
    plate_number: str
    plate_type: str
    vin: str
    owner_id_number: str
    commercial: bool = False


@dataclass(frozen=True)
class DemoViolation:
    violation_id: str
    plate_number: str
    code: str
    description: str
    place: str
    days_ago: int
    fine_cents: int
    points: int
    camera_recorded: bool = True
    authority: str = "traffic"
    decided_days_ago: int | None = None  # handled that many days ago (decision issued)
    paid: bool = False


ZHANG = "110105198503121234"  # 张伟明: pending card application, clean record, most traffic rules
LI = "110105199207182344"  # 李秀英: no application, has a record, commercial vehicle
WANG = "310115197802253451"  # 王建国: record check pending, 10 points
ZHAO = "440305198809094563"  # 赵丽: 12 points, no registry photo
LIU = "110108199501015677"  # 刘洋: pending application, clean, excluded-authority violations
SUN = "320102197006066786"  # 孙丽华: pending application but a temporary ID already active
ZHOU = "110105200002297899"  # 周子轩: no driving licence, no application, clean

CITIZENS: tuple[DemoCitizen, ...] = (
    DemoCitizen(ZHANG, "张伟明", "男", "汉", "北京市朝阳区演示路1号院2号楼301", True, "clean", 0),
    DemoCitizen(LI, "李秀英", "女", "汉", "北京市朝阳区样例街18号", False, "record", 2),
    DemoCitizen(WANG, "王建国", "男", "汉", "上海市浦东新区测试大道88弄6号", False, "pending", 10),
    DemoCitizen(ZHAO, "赵丽", "女", "壮", "深圳市福田区虚构路9号", True, "clean", 12, has_photo=False),
    DemoCitizen(LIU, "刘洋", "男", "回", "北京市海淀区示范胡同5号", True, "clean", 0),
    DemoCitizen(SUN, "孙丽华", "女", "汉", "南京市玄武区假设巷3号", True, "clean", None, active_temp_id=True),
    DemoCitizen(ZHOU, "周子轩", "男", "满", "北京市朝阳区演示路7号", False, "clean", None),
)

VEHICLES: tuple[DemoVehicle, ...] = (
    DemoVehicle("京A12345", "02", "LSVAU2180N2123456", ZHANG),
    DemoVehicle("京AD12345", "52", "LGXCE4CB8P0654321", ZHANG),
    DemoVehicle("京B23456", "01", "LZZ5BLSF4NW234567", LI, commercial=True),
    DemoVehicle("沪C34567", "02", "LFV2A21K7M4345678", WANG),
    DemoVehicle("粤BD12345", "52", "LC0CE4CB1P0456789", ZHAO),
    DemoVehicle("京F5G678", "02", "LHGCR2650K8567890", LIU),
)

_BEIJING = "北京市朝阳区建国路与东三环路口"
VIOLATIONS: tuple[DemoViolation, ...] = (
    # 张伟明 (0 points): one of each rule
    DemoViolation("V0001", "京A12345", "1625", "驾驶机动车违反禁令标志指示的", _BEIJING, 10, 20000, 3),
    DemoViolation(
        "V0002",
        "京A12345",
        "6011",
        "驾驶机动车未按规定使用安全带的",
        "北京市朝阳区朝阳路",
        8,
        5000,
        1,
        camera_recorded=False,
    ),
    DemoViolation(
        "V0003", "京A12345", "1603", "驾驶机动车行驶超过规定时速50%以上的", "北京市朝阳区京通快速路", 6, 100000, 6
    ),
    DemoViolation(
        "V0004",
        "京A12345",
        "1040",
        "机动车在高速公路上违法停车的",
        "京承高速公路K23+500",
        5,
        20000,
        3,
        authority="highway",
    ),
    DemoViolation(
        "V0005", "京A12345", "1039", "机动车违反规定停放的", "北京市朝阳区光华路", 50, 10000, 0, decided_days_ago=40
    ),  # due 25 days ago: late fee 75 yuan
    DemoViolation(
        "V0006",
        "京A12345",
        "1039",
        "机动车违反规定停放的",
        "北京市朝阳区光华路",
        90,
        10000,
        0,
        decided_days_ago=80,
        paid=True,
    ),
    DemoViolation(
        "V0007",
        "京AD12345",
        "1352",
        "驾驶机动车超过规定时速未达20%的",
        "北京市东城区长安街",
        80,
        20000,
        3,
        decided_days_ago=70,
    ),  # due 55 days ago: late fee capped at the fine
    # 李秀英: commercial vehicle
    DemoViolation(
        "V0101", "京B23456", "1352", "驾驶机动车超过规定时速未达20%的", "北京市大兴区京开高速辅路", 12, 20000, 3
    ),
    # 王建国 (10 points): 3 more would reach 13, 1 more keeps him at 11
    DemoViolation("V0201", "沪C34567", "1625", "驾驶机动车违反禁令标志指示的", "上海市浦东新区世纪大道", 9, 20000, 3),
    DemoViolation("V0202", "沪C34567", "1344", "驾驶机动车不按规定使用灯光的", "上海市浦东新区张杨路", 7, 10000, 1),
    # 赵丽 (12 points): refused whatever the points
    DemoViolation("V0301", "粤BD12345", "1039", "机动车违反规定停放的", "深圳市福田区深南大道", 4, 20000, 0),
    # 刘洋: recorded by 城管, airport and rail authorities
    DemoViolation(
        "V0401",
        "京F5G678",
        "1039",
        "机动车违反规定停放的",
        "北京市海淀区中关村大街",
        3,
        20000,
        0,
        authority="chengguan",
    ),
    DemoViolation(
        "V0402", "京F5G678", "1039", "机动车违反规定停放的", "首都国际机场T3航站楼", 2, 20000, 0, authority="airport"
    ),
    DemoViolation("V0403", "京F5G678", "1039", "机动车违反规定停放的", "北京南站停车场", 2, 20000, 0, authority="rail"),
)

# A valid and a revoked certificate of 张伟明, for the public verification page.
DEMO_CERTIFICATES = (
    ("110105200000000001", ZHANG, "就业", "DEMO2345", False),
    ("110105200000000002", ZHANG, "出国（境）", "REVK6789", True),
)

# 往来港澳通行证 of the demo citizens (the permit simulator's demo permits carry the same numbers and MRZ data):
# (permit number, holder, birth YYMMDD, expiry YYMMDD, state employee, days since a written endorsement or None)
DEMO_PERMITS = (
    ("C60123458", ZHANG, "850312", "330615", False, None),  # eligible
    ("C71234563", LI, "920718", "310902", True, None),  # a state employee: the counter
    ("C82345670", WANG, "780225", "320120", False, 20),  # endorsed for Hong Kong 20 days ago: wait
)
