"""The 153 English local authorities with a children's services return (since April 2023).

DfE (old LEA) codes and names, and a kind used only to pick a plausible size band.
"""

from __future__ import annotations

#: Code, kind (county, met = metropolitan borough, london, unitary) and name, one per line.
_LA_TABLE = """
201 london  City of London
202 london  Camden
203 london  Greenwich
204 london  Hackney
205 london  Hammersmith and Fulham
206 london  Islington
207 london  Kensington and Chelsea
208 london  Lambeth
209 london  Lewisham
210 london  Southwark
211 london  Tower Hamlets
212 london  Wandsworth
213 london  Westminster
301 london  Barking and Dagenham
302 london  Barnet
303 london  Bexley
304 london  Brent
305 london  Bromley
306 london  Croydon
307 london  Ealing
308 london  Enfield
309 london  Haringey
310 london  Harrow
311 london  Havering
312 london  Hillingdon
313 london  Hounslow
314 london  Kingston upon Thames
315 london  Merton
316 london  Newham
317 london  Redbridge
318 london  Richmond upon Thames
319 london  Sutton
320 london  Waltham Forest
330 met     Birmingham
331 met     Coventry
332 met     Dudley
333 met     Sandwell
334 met     Solihull
335 met     Walsall
336 met     Wolverhampton
340 met     Knowsley
341 met     Liverpool
342 met     St. Helens
343 met     Sefton
344 met     Wirral
350 met     Bolton
351 met     Bury
352 met     Manchester
353 met     Oldham
354 met     Rochdale
355 met     Salford
356 met     Stockport
357 met     Tameside
358 met     Trafford
359 met     Wigan
370 met     Barnsley
371 met     Doncaster
372 met     Rotherham
373 met     Sheffield
380 met     Bradford
381 met     Calderdale
382 met     Kirklees
383 met     Leeds
384 met     Wakefield
390 met     Gateshead
391 met     Newcastle upon Tyne
392 met     North Tyneside
393 met     South Tyneside
394 met     Sunderland
420 unitary Isles of Scilly
800 unitary Bath and North East Somerset
801 unitary Bristol, City of
802 unitary North Somerset
803 unitary South Gloucestershire
805 unitary Hartlepool
806 unitary Middlesbrough
807 unitary Redcar and Cleveland
808 unitary Stockton-on-Tees
810 unitary Kingston upon Hull, City of
811 unitary East Riding of Yorkshire
812 unitary North East Lincolnshire
813 unitary North Lincolnshire
815 county  North Yorkshire
816 unitary York
821 unitary Luton
822 unitary Bedford
823 unitary Central Bedfordshire
825 county  Buckinghamshire
826 unitary Milton Keynes
830 county  Derbyshire
831 unitary Derby
838 county  Dorset
839 unitary Bournemouth, Christchurch and Poole
840 county  County Durham
841 unitary Darlington
845 county  East Sussex
846 unitary Brighton and Hove
850 county  Hampshire
851 unitary Portsmouth
852 unitary Southampton
855 county  Leicestershire
856 unitary Leicester
857 unitary Rutland
860 county  Staffordshire
861 unitary Stoke-on-Trent
865 county  Wiltshire
866 unitary Swindon
867 unitary Bracknell Forest
868 unitary Windsor and Maidenhead
869 unitary West Berkshire
870 unitary Reading
871 unitary Slough
872 unitary Wokingham
873 county  Cambridgeshire
874 unitary Peterborough
876 unitary Halton
877 unitary Warrington
878 county  Devon
879 unitary Plymouth
880 unitary Torbay
881 county  Essex
882 unitary Southend-on-Sea
883 unitary Thurrock
884 unitary Herefordshire
885 county  Worcestershire
886 county  Kent
887 unitary Medway
888 county  Lancashire
889 unitary Blackburn with Darwen
890 unitary Blackpool
891 county  Nottinghamshire
892 unitary Nottingham
893 unitary Shropshire
894 unitary Telford and Wrekin
895 unitary Cheshire East
896 unitary Cheshire West and Chester
908 county  Cornwall
916 county  Gloucestershire
919 county  Hertfordshire
921 unitary Isle of Wight
925 county  Lincolnshire
926 county  Norfolk
929 county  Northumberland
931 county  Oxfordshire
933 county  Somerset
935 county  Suffolk
936 county  Surrey
937 county  Warwickshire
938 county  West Sussex
940 unitary North Northamptonshire
941 unitary West Northamptonshire
942 unitary Cumberland
943 unitary Westmorland and Furness
"""
LAS: tuple[tuple[str, str, str], ...] = tuple(
    (line[:3], line[12:], line[4:11].strip()) for line in _LA_TABLE.strip().splitlines()
)
